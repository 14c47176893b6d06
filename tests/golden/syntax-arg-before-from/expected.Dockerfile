ARG GO_VERSION=1.22
ARG PORT=8080
FROM golang:${GO_VERSION}-alpine AS build
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o /bin/api ./cmd/api

FROM gcr.io/distroless/static-debian12
ARG PORT
WORKDIR /app
COPY --from=build /bin/api /bin/api
EXPOSE ${PORT}
ENTRYPOINT ["/bin/api"]
