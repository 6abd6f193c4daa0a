/** A pricing thread whose module cannot load (as with a missing dependency): for the pool's fallback test. */
throw new Error('cannot load the pricing module');
