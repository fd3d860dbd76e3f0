export { loadScenario, resolveScenarioPath, listPresets, DEFAULT_SCENARIO_FILE, PRESETS_DIR } from './load.js';
export { validateScenario } from './validate.js';
export { applyOverrides, parseDurationMs, type ScenarioOverrides } from './overrides.js';
export { DEFAULT_SCENARIO } from './schema.js';
