export * from './lbfgs.ts';
export * from './softmax-regression.ts';
