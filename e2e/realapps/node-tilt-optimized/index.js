// Written for restage's real-dependency suite: express with an immutable.js list.
const express = require('express');
const { List } = require('immutable');

const app = express();
const items = List(['robot', 'toaster']).push('kettle');
app.get('/', (req, res) => res.json({ items: items.toArray(), size: items.size, last: items.last() }));
app.listen(8000, () => console.log('listening on 8000'));
