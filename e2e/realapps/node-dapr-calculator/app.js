// Written for restage's real-dependency suite: the calculator's divide service (express,
// cors, body-parser) and bcrypt, a node-gyp addon built from source (.npmrc).
const express = require('express');
const bodyParser = require('body-parser');
const cors = require('cors');
const bcrypt = require('bcrypt');

const app = express();
app.use(bodyParser.json());
app.use(cors());
app.post('/divide', (req, res) => res.json(req.body.operandOne / req.body.operandTwo));
app.get('/', (req, res) => {
  const salt = '$2b$10$abcdefghijklmnopqrstuu';
  res.json({ divide: 84 / 2, hash: bcrypt.hashSync('robot', salt), rounds: bcrypt.getRounds(salt) });
});
app.listen(4000, () => console.log('listening on 4000'));
