// Written for restage's real-dependency suite: the cart service's stack (instana collector,
// express, body-parser, redis client, pino, prom-client, request), without its redis.
const pino = require('pino');
const quiet = pino({ level: 'silent' });
const instana = require('@instana/collector')({ logger: quiet, tracing: { enabled: true } });
const express = require('express');
const bodyParser = require('body-parser');
const redis = require('redis');
const request = require('request');
const expPino = require('express-pino-logger');
const promClient = require('prom-client');

const counter = new promClient.Counter({ name: 'items_added', help: 'running count of items added to cart' });
const client = redis.createClient({ host: 'redis', retry_strategy: () => undefined });
let redisConnected = false;
client.on('ready', () => { redisConnected = true; });
client.on('error', () => { redisConnected = false; });

const app = express();
app.use(expPino({ logger: quiet }));
app.use(bodyParser.json());
app.get('/health', (req, res) => {
  counter.inc(2);
  res.json({ app: 'OK', redis: redisConnected, instana: typeof instana.currentSpan, request: typeof request.get, metric: promClient.register.getSingleMetric('items_added').name });
});
app.listen(8080, () => console.log('cart listening on 8080'));
