// Written for restage's real-dependency suite: a hapi server, as the slimtoolkit example.
const Hapi = require('@hapi/hapi');

(async () => {
  const server = Hapi.server({ port: 1300, host: '0.0.0.0' });
  server.route({ method: 'GET', path: '/', handler: (req) => ({ service: 'image-edit', hapi: server.version, path: req.path }) });
  await server.start();
  console.log('hapi listening on 1300');
})();
