/** A test configuration: no environment leaks in. */
import { loadConfig, type Config } from '../../src/config.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    CUSTOS_DATA_DIR: '/nonexistent-test-dir',
    LOG_LEVEL: 'silent',
    CUSTOS_MAX_UPLOAD_BYTES: '65536',
    // No cache of register blocks unless a test gives it a folder of its own.
    CUSTOS_REPORT_CACHE_DIR: 'off',
    ...overrides,
  });
}
