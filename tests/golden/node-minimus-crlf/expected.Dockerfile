FROM reg.mini.dev/node:22-dev AS build
USER root
WORKDIR /app
COPY package.json .
RUN npm install
COPY . .
RUN npm prune --omit=dev

FROM reg.mini.dev/node:22
WORKDIR /app
COPY --from=build /app /app
ENTRYPOINT []
CMD ["node", "server.js"]
