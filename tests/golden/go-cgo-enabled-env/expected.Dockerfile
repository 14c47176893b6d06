FROM golang:1.23-bookworm AS build
ENV CGO_ENABLED=1
WORKDIR /app
COPY . .
RUN go build -o /usr/bin/svc .

FROM gcr.io/distroless/base-debian12
WORKDIR /app
ENV CGO_ENABLED=1
COPY --from=build /usr/bin/svc /usr/bin/svc
CMD ["svc"]
