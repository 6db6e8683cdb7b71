export * from './calibration-doc.ts';
export * from './evaluate.ts';
export * from './fit.ts';
export * from './measurements.ts';
export * from './rules-from-fit.ts';
export { chooseByTree, FIT_FEATURES, type FitFeature, type FitTree, leafCount } from './tree.ts';
