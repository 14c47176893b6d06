// Written for restage's real-dependency suite: an express app taking binding events
// (body-parser) and exposing fetch from isomorphic-fetch, as the dapr sample does.
require('isomorphic-fetch');
const express = require('express');
const bodyParser = require('body-parser');

const app = express();
app.use(bodyParser.json());
const seen = [];
app.post('/sample', (req, res) => { seen.push(req.body); res.sendStatus(200); });
app.get('/', (req, res) => res.json({ app: 'bindings', fetch: typeof fetch, headers: typeof Headers, seen: seen.length }));
app.listen(3000, () => console.log('listening on 3000'));
