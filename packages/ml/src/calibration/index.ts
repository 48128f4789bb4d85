export * from './temperature-scaling.ts';
