/** The Redis version whose protocol, INFO fields and file formats the built-in server follows. */
export const VERSION = '7.0.0';
