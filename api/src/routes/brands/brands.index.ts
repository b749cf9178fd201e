import type { OpenAPIHono } from '@hono/zod-openapi';
import { createRouter } from '../../lib/router.ts';
import type { AppBindings } from '../../lib/types.ts';
import {
  createBrandHandler,
  deleteBrandHandler,
  getBrandHandler,
  listBrandsHandler,
  updateBrandHandler,
} from './brands.handlers.ts';
import { createBrand, deleteBrand, getBrand, listBrands, updateBrand } from './brands.routes.ts';

export function registerBrandRoutes(app: OpenAPIHono<AppBindings>, prefix: string) {
  const router = createRouter()
    .openapi(listBrands, listBrandsHandler)
    .openapi(createBrand, createBrandHandler)
    .openapi(getBrand, getBrandHandler)
    .openapi(updateBrand, updateBrandHandler)
    .openapi(deleteBrand, deleteBrandHandler);
  app.route(prefix, router);
}
