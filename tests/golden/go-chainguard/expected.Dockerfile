FROM cgr.dev/chainguard/go:latest-dev AS build
USER root
ENV CGO_ENABLED=0
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /server ./cmd/server

FROM cgr.dev/chainguard/static:latest
WORKDIR /app
COPY --from=build /server /server
EXPOSE 8080
CMD ["/server"]
