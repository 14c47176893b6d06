FROM golang:1.22 AS build
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o server .

FROM debian:bookworm-slim
WORKDIR /app
COPY --from=build /app/server /app/server
CMD ./server 2>&1 | tee /tmp/log
