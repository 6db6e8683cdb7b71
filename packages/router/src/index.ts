// The router's public API, listed by name: a helper another module of the router needs is not
// public unless named here (test/dead-exports.test.ts checks that each name has a user).
export { type CalibrationDoc, calibratedPolicy, calibrationDoc, calibrationTable } from './calibrate/calibration-doc.ts';
export { type Evaluation, evaluateChoices, type LayerOutcome } from './calibrate/evaluate.ts';
export { type CalibrationFit, type CalibrationOptions, type ClassFit, fitCalibration, type LadderStep } from './calibrate/fit.ts';
export type { MeasuredLayer } from './calibrate/measurements.ts';
export type { RuleEvidence } from './calibrate/rules-from-fit.ts';
export type { FitFeature, FitTree } from './calibrate/tree.ts';
export { CLASS_METHOD, type ConvClass, classify, methodsFor } from './classify.ts';
export type { Policy, RouteDecision } from './decision.ts';
export { type AcquiredAdapter, type AdapterDescription, detectFamily, type FamilyMatch, profileFromAcquired, profileFromAdapter } from './detect.ts';
export type { Family, Storage } from './device-family.ts';
export { decisiveReasons, reasonLine } from './explain.ts';
export { type ProfileFeatures, type SpecFeatures, specFeatures } from './features.ts';
export { namedProfile, PROFILE_NAMES } from './named-profiles.ts';
export { type GlobalOverride, globalOverride, METHOD_ENV_VAR, nodeOverrideDecision } from './overrides.ts';
export { alwaysPolicy, BUILTIN_POLICY_NAMES, builtinPolicy, etvk, etvkLegacy } from './policies.ts';
export { type AdapterInfoLike, DEFAULT_LIMITS, type DeviceProfile, type KernelLimits } from './profile.ts';
export { PROFILE_SCHEMA, profileFromJson, profileToJson } from './profile-json.ts';
export { type PolicyLike, resolvePolicy } from './resolve-policy.ts';
export { type ConvRouter, type RouteOptions, routerFor } from './router.ts';
export { parseRuleTable, tablePolicy } from './rule-table.ts';
export type { NumberCondition, Rule, RuleCondition, RuleTable } from './rule-types.ts';
export { TFLITE_TABLE } from './tflite-policy.ts';
