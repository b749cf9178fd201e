export * from './workflow.ts';
export * from './templates.ts';
export * from './brand-settings.ts';
export * from './output-checks.ts';
export * from './sync/index.ts';
export * from './config.ts';
