/**
 * RDB format constants, as in Redis's src/rdb.h. Opcodes share the type byte's space:
 * anything >= 0xF4 is an opcode, anything below is a value type.
 */

/** The version we write: redis-server 7.0's RDB_VERSION (loads 1..10). */
export const RDB_VERSION = 10;
/** The newest version the decoder accepts (Redis 7.4 / 8 write 12). */
export const RDB_MAX_LOAD_VERSION = 12;

/** Length prefixes: the two top bits of the first byte. */
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

/** Special string encodings (low six bits after 11xxxxxx). */
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** Value types. */
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;
export const RDB_TYPE_SET_LISTPACK = 20;
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21;
/** Redis 7.4+ hashes with field expiry (22/23 from the 7.4 release candidates). */
export const RDB_TYPE_HASH_METADATA_PRE_GA = 22;
export const RDB_TYPE_HASH_LISTPACK_EX_PRE_GA = 23;
export const RDB_TYPE_HASH_METADATA = 24;
export const RDB_TYPE_HASH_LISTPACK_EX = 25;
/** Newer stream encodings (Redis 8.x). */
export const RDB_TYPE_STREAM_LISTPACKS_4 = 26;
export const RDB_TYPE_STREAM_LISTPACKS_5 = 27;

/** Opcodes. */
export const RDB_OPCODE_SLOT_INFO = 0xf4;
export const RDB_OPCODE_FUNCTION2 = 0xf5;
export const RDB_OPCODE_FUNCTION_PRE_GA = 0xf6;
export const RDB_OPCODE_MODULE_AUX = 0xf7;
export const RDB_OPCODE_IDLE = 0xf8;
export const RDB_OPCODE_FREQ = 0xf9;
export const RDB_OPCODE_AUX = 0xfa;
export const RDB_OPCODE_RESIZEDB = 0xfb;
export const RDB_OPCODE_EXPIRETIME_MS = 0xfc;
export const RDB_OPCODE_EXPIRETIME = 0xfd;
export const RDB_OPCODE_SELECTDB = 0xfe;
export const RDB_OPCODE_EOF = 0xff;

/** Module value opcodes (RDB_MODULE_OPCODE_*), used to skip module data generically. */
export const RDB_MODULE_OPCODE_EOF = 0;
export const RDB_MODULE_OPCODE_SINT = 1;
export const RDB_MODULE_OPCODE_UINT = 2;
export const RDB_MODULE_OPCODE_FLOAT = 3;
export const RDB_MODULE_OPCODE_DOUBLE = 4;
export const RDB_MODULE_OPCODE_STRING = 5;

/** Quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2. */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** Human names for error messages. */
export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  [RDB_TYPE_STRING]: 'string',
  [RDB_TYPE_LIST]: 'list',
  [RDB_TYPE_SET]: 'set',
  [RDB_TYPE_ZSET]: 'zset',
  [RDB_TYPE_HASH]: 'hash',
  [RDB_TYPE_ZSET_2]: 'zset (v2)',
  [RDB_TYPE_MODULE]: 'module value (v1)',
  [RDB_TYPE_MODULE_2]: 'module value',
  [RDB_TYPE_HASH_ZIPMAP]: 'hash (zipmap)',
  [RDB_TYPE_LIST_ZIPLIST]: 'list (ziplist)',
  [RDB_TYPE_SET_INTSET]: 'set (intset)',
  [RDB_TYPE_ZSET_ZIPLIST]: 'zset (ziplist)',
  [RDB_TYPE_HASH_ZIPLIST]: 'hash (ziplist)',
  [RDB_TYPE_LIST_QUICKLIST]: 'list (quicklist)',
  [RDB_TYPE_STREAM_LISTPACKS]: 'stream',
  [RDB_TYPE_HASH_LISTPACK]: 'hash (listpack)',
  [RDB_TYPE_ZSET_LISTPACK]: 'zset (listpack)',
  [RDB_TYPE_LIST_QUICKLIST_2]: 'list (quicklist v2)',
  [RDB_TYPE_STREAM_LISTPACKS_2]: 'stream (v2)',
  [RDB_TYPE_SET_LISTPACK]: 'set (listpack)',
  [RDB_TYPE_STREAM_LISTPACKS_3]: 'stream (v3)',
  [RDB_TYPE_HASH_METADATA_PRE_GA]: 'hash with field TTLs (7.4 RC)',
  [RDB_TYPE_HASH_LISTPACK_EX_PRE_GA]: 'hash with field TTLs, listpack (7.4 RC)',
  [RDB_TYPE_HASH_METADATA]: 'hash with field TTLs',
  [RDB_TYPE_HASH_LISTPACK_EX]: 'hash with field TTLs, listpack',
  [RDB_TYPE_STREAM_LISTPACKS_4]: 'stream (v4)',
  [RDB_TYPE_STREAM_LISTPACKS_5]: 'stream (v5)',
};
