import { aofAppend } from './aof-append.js';
import { crc64Suite } from './crc64.js';
import { keyHashSuite } from './key-hash.js';
import { lzfSuite } from './lzf.js';
import { rdbCodec } from './rdb-codec.js';
import { respDecode } from './resp-decode.js';
import { respEncode } from './resp-encode.js';
import type { MicroSuite } from './types.js';

/** Every suite `durabench micro` runs, in order. */
export const SUITES: readonly MicroSuite[] = [respDecode, respEncode, aofAppend, crc64Suite, keyHashSuite, lzfSuite, rdbCodec];
