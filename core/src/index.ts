export * from './workflow.ts';
export * from './templates.ts';
