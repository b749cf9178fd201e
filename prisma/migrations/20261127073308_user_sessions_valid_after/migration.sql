ALTER TABLE "users" ADD COLUMN     "sessions_valid_after" TIMESTAMPTZ(3);
