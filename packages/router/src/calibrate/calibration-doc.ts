import { ConvrouteError, type Precision, parseJsonText } from '@convroute/core';
import type { Policy } from '../decision.ts';
import { decideByTable, parseRuleTable } from '../rule-table.ts';
import type { RuleTable } from '../rule-types.ts';
import { type CalibrationFit, type CalibrationOptions, fitCalibration } from './fit.ts';
import type { MeasuredLayer } from './measurements.ts';
import { type RuleEvidence, tableFromFit } from './rules-from-fit.ts';

const CALIBRATION_FORMAT = 'convroute-calibration';

/**
 * What `convroute calibrate` writes under a device profile's `calibration` key: the fitted rule
 * table (the router's rule-table format) plus the evidence for it. Only `format`, `version` and
 * `table` are read back; the rest is for people and reports.
 */
export interface CalibrationDoc {
  format: typeof CALIBRATION_FORMAT;
  version: 1;
  /** ISO date of the fit, and the bench files it read. */
  fittedAt?: string;
  sources?: string[];
  /** The adapter the measurements came from. */
  measuredOn?: Record<string, unknown>;
  /** The arithmetic they were measured in; every fitted rule matches on it (absent in older
   * documents: f32). */
  precision?: Precision;
  fit: {
    tolerance: number;
    maxLeaves: number;
    features: string[];
    unit: string;
    bestTime: number;
    trainTime: number;
    /** Held out over the classes that have an estimate, against their per-layer best
     * `cvBestTime`; null when no class has one (heldOutMissing says why). */
    cvTime: number | null;
    cvBestTime: number;
    heldOutMissing: { class: string; reason: string }[];
    classes: {
      class: string;
      layers: number;
      methods: string[];
      leaves: number;
      selection: string;
      bestTime: number;
      /** cvTime null: no held-out estimate (one distinct shape). */
      ladder: { leaves: number; trainTime: number; cvTime: number | null }[];
    }[];
  };
  evidence: RuleEvidence[];
  table: RuleTable;
}

/** Fits measurements and returns the calibration document (pure; the CLI adds the profile around it). */
export function calibrationDoc(
  layers: readonly MeasuredLayer[],
  options: CalibrationOptions & { unit?: string; sources?: string[]; measuredOn?: Record<string, unknown>; fittedAt?: string; precision?: Precision } = {},
): { doc: CalibrationDoc; fit: CalibrationFit } {
  const fit = fitCalibration(layers, options);
  const precision = options.precision ?? 'f32';
  const { table, evidence } = tableFromFit(fit, layers, 'calibrated', precision);
  const doc: CalibrationDoc = {
    format: CALIBRATION_FORMAT,
    version: 1,
    fittedAt: options.fittedAt,
    sources: options.sources,
    measuredOn: options.measuredOn,
    precision,
    fit: {
      tolerance: fit.options.tolerance,
      maxLeaves: fit.options.maxLeaves,
      features: [...fit.options.features],
      unit: options.unit ?? 'ms',
      bestTime: fit.bestTime,
      trainTime: fit.trainTime,
      cvTime: Number.isNaN(fit.cvTime) ? null : fit.cvTime,
      cvBestTime: fit.cvBestTime,
      heldOutMissing: fit.heldOutMissing,
      classes: fit.classes.map((c) => ({
        class: c.class,
        layers: c.layers.length,
        methods: c.methods,
        leaves: c.leaves,
        selection: c.selection,
        bestTime: c.bestTime,
        ladder: c.ladder.map((s) => ({ ...s, cvTime: Number.isNaN(s.cvTime) ? null : s.cvTime })),
      })),
    },
    evidence,
    table,
  };
  return { doc, fit };
}

/**
 * Reads a calibration: a whole calibrated profile file (`{ ..., "calibration": {...} }`) or the bare
 * calibration document. Returns its rule table, validated like any user table.
 */
export function calibrationTable(doc: unknown, origin = 'calibration'): RuleTable {
  if (typeof doc === 'string') {
    doc = parseJsonText(doc, 'INVALID_POLICY', origin);
  }
  let at = origin;
  if (doc && typeof doc === 'object' && 'calibration' in doc) {
    doc = (doc as { calibration: unknown }).calibration;
    at = `${origin}.calibration`;
  }
  if (!doc || typeof doc !== 'object' || (doc as { format?: unknown }).format !== CALIBRATION_FORMAT) {
    throw new ConvrouteError(
      'INVALID_POLICY',
      `${at}.format`,
      (doc as { format?: unknown } | null)?.format,
      `must be "${CALIBRATION_FORMAT}" (a file written by convroute calibrate)`,
    );
  }
  const d = doc as { version?: unknown; table?: unknown };
  if (d.version !== 1) throw new ConvrouteError('INVALID_POLICY', `${at}.version`, d.version, 'must be 1');
  return parseRuleTable(d.table, `${at}.table`);
}

function calibratedDecide(table: RuleTable): Policy['decide'] {
  return (spec, profile) => decideByTable(table, spec, profile, 'calibrated');
}

/** `calibrated:<table>`: a fitted table, fixed whatever the profile says. */
export function calibratedPolicy(table: RuleTable): Policy {
  return { name: 'calibrated', description: table.description ?? `calibrated rule table ${table.name}`, decide: calibratedDecide(table) };
}

/** `calibrated`: the table of the device profile routed for (loaded from a calibrated profile file
 * with `--profile`); INVALID_POLICY for a profile that carries none. */
export const calibratedFromProfile: Policy = {
  name: 'calibrated',
  description: "the rule table fitted by convroute calibrate, read from the device profile's calibration",
  decide(spec, profile) {
    if (!profile.calibration) {
      throw new ConvrouteError(
        'INVALID_POLICY',
        'policy',
        'calibrated',
        `profile ${profile.name} has no calibration: pass a profile written by convroute calibrate (--profile file.json), or calibrated:<file.json>`,
      );
    }
    return calibratedDecide(profile.calibration)(spec, profile);
  },
};
