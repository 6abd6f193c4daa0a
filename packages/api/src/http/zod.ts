import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// zod-to-openapi adds `.openapi()` to zod's prototypes. It happens once, here, and every schema
// module imports `z` from this file so the extension is always in place before a schema is built.
extendZodWithOpenApi(z);

export { z };
