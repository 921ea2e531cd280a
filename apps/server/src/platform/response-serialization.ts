// Response serializers made once per process, by schema object. Response schemas are the
// contracts' module-level objects, so an app built again in the same process (the tests build one
// per database and test file) takes the serializers already made instead of generating every
// route's fast-json-stringify code again: with the request validators (request-validation.ts), that
// generation was most of building the app. Fastify's own factory makes each one; only a schema
// object seen before is served from here, and the map holds a serializer as long as its schema lives.
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;

const made = new WeakMap<object, Serializer>();
const fastifyDefault = SerializerSelector();

export const sharedResponseSerializers: SerializerFactory = (externalSchemas, options) => {
  const compile = fastifyDefault(externalSchemas, options);
  // Shared schemas (addSchema) or serializer options would make the same schema serialize differently.
  const plain = options === undefined && Object.keys((externalSchemas as object | undefined) ?? {}).length === 0;
  return (route) => {
    const schema = route.schema;
    if (!plain || typeof schema !== 'object' || schema === null) return compile(route);
    let serializer = made.get(schema);
    if (!serializer) {
      serializer = compile(route);
      made.set(schema, serializer);
    }
    return serializer;
  };
};
