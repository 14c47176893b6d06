FROM dhi.io/node:22-dev AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm prune --omit=dev

FROM dhi.io/node:22-debian13
WORKDIR /app
COPY --from=build /app /app
ENTRYPOINT []
CMD ["node", "server.js"]
