export { createPrismaClient, pgTransactionsOf, type PrismaClient } from './client.ts';
export { copyText, type PgTransaction, type TransactionOptions } from './pg-transaction.ts';
export * from './generated/enums.ts';
export {
  Prisma,
  type ApprovalStep,
  type Brand,
  type BrandMembership,
  type CampaignContentVersion,
  type GenerationJob,
  type GenerationRun,
  type CampaignTemplate,
  type Location,
  type LocationAssignment,
  type LocationCampaign,
  type RefreshToken,
  type User,
} from './generated/client.ts';
export {
  EMBEDDING_DIMENSIONS,
  findSimilarCampaigns,
  getCampaignEmbedding,
  REVIEWED_STATUSES,
  setCampaignEmbedding,
  setCampaignEmbeddings,
  type SimilarCampaign,
  type SimilarityQuery,
  type SqlRunner,
} from './vectors.ts';
export { applyMigrations } from './schema-engine.ts';
export { transitionCampaign, type TransitionOutcome, type TransitionRequest } from './workflow.ts';
export { createApprovalLink, findApprovalLink, hashApprovalLinkToken, spendApprovalLink, type ApprovalLinkGrant } from './approval-links.ts';
export {
  changedEntities,
  inputsAtVersions,
  insertCampaigns,
  insertLocations,
  insertTemplates,
  latestChangeSeq,
  locationsByStoreNumbers,
  lockCampaignsForSync,
  lockLocationsForSync,
  lockTemplatesForSync,
  serializeSyncs,
  compactSyncChanges,
  updateCampaigns,
  updateLocations,
  updateTemplates,
  type CampaignSyncState,
  type CampaignWrite,
  type ChangedEntity,
  type LocationSyncState,
  type LocationWrite,
  type SyncLocationRef,
  type TemplateSyncState,
  type TemplateWrite,
} from './sync.ts';
export { createChangeNotifier, SYNC_CHANGES_CHANNEL, type ChangeNotifier } from './change-notifier.ts';
