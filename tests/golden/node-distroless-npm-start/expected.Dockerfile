FROM node:22-trixie AS build
WORKDIR /app
COPY . .
RUN npm install
RUN npm prune --omit=dev

FROM gcr.io/distroless/nodejs22-debian13:nonroot
WORKDIR /app
COPY --from=build /app /app
EXPOSE 8080
CMD ["dist/index.js"]
