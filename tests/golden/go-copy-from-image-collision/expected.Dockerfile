FROM golang:1.22 AS builder
ENV CGO_ENABLED=0
COPY --from=build:latest /bin/tool /usr/local/bin/tool
WORKDIR /app
COPY . .
RUN go build -o /app/server .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=builder /app/server /app/server
COPY --from=builder /usr/local/bin/tool /usr/local/bin/tool
CMD ["/app/server"]
