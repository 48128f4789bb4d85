export * from './connection-features.ts';
export * from './window-aggregates.ts';
export * from './feature-matrix.ts';
export { SlidingWindow, InterArrivalTracker } from './sliding-window.ts';
export * from './beacon.ts';
export * from './host-windows.ts';
