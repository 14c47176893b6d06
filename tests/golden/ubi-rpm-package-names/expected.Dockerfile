FROM registry.access.redhat.com/ubi9/nodejs-20:latest AS build
USER root
RUN apt-get update && apt-get install -y --no-install-recommends libsqlite3-0 netcat-openbsd tini
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .

FROM registry.access.redhat.com/ubi9/nodejs-20-minimal:latest
WORKDIR /app
USER root
RUN microdnf install -y sqlite-libs nmap-ncat && microdnf clean all
COPY --from=build /app /app
USER 1001
CMD ["node", "index.js"]
