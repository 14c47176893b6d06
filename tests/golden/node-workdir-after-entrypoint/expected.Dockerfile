FROM node:12-alpine AS dist
RUN apk add --no-cache tini
ENTRYPOINT ["/sbin/tini", "--"]
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run dist
ENV MS=1000 CTX_ROOT=/
RUN npm prune --production

FROM node:12-alpine
WORKDIR /app
ENTRYPOINT ["/sbin/tini", "--"]
ENV MS=1000 CTX_ROOT=/
RUN apk add --no-cache tini
COPY --from=dist /app /app
EXPOSE 8080
HEALTHCHECK CMD node /app/healthcheck.js || exit 1
CMD ["node","server.js"]
