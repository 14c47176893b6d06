FROM reg.mini.dev/go:1.22-dev AS build
USER root
ENV CGO_ENABLED=0
WORKDIR /app
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /server ./cmd/server

FROM reg.mini.dev/static:latest
WORKDIR /app
COPY --from=build /server /server
EXPOSE 8080
CMD ["/server"]
