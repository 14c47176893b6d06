FROM node:20 AS build
WORKDIR /home/node/app
COPY package*.json ./
RUN npm install
COPY --chown=node:node . .
RUN npm prune --omit=dev

FROM node:20-slim
WORKDIR /home/node/app
COPY --chown=node:node --from=build /home/node/app /home/node/app
CMD ["node", "index.js"]
