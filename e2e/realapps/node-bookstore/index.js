// Written for restage's real-dependency suite: the bookstore's node server stack (express,
// express-ws, cors, cloudevents, pg), without its database and broker.
const express = require('express');
const cors = require('cors');
const { CloudEvent, HTTP } = require('cloudevents');
const { Client } = require('pg');

const app = express();
require('express-ws')(app);
app.use(cors());
app.use(express.json());
const db = new Client({ connectionString: 'postgresql://postgres:secret@db:5432/bookstore' });
app.ws('/comments', (ws) => ws.send('[]'));
app.get('/', (req, res) => {
  const ce = new CloudEvent({ id: '1', source: '/bookstore', type: 'new-review-comment', time: '2024-01-01T00:00:00Z', data: { text: 'great' } });
  const msg = HTTP.binary(ce);
  res.json({ headers: msg.headers, body: msg.body, sql: db.escapeLiteral("O'Reilly"), ident: db.escapeIdentifier('book reviews') });
});
app.listen(8000, () => console.log('bookstore listening on 8000'));
