FROM golang:1.22@sha256:0d3653dd6f35159ec6e3d10263a42372f6f194c3dea0b35235d72aecde12b8d8 AS build
ENV CGO_ENABLED=0
WORKDIR /app
COPY . .
RUN go build -o /app/server .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=build /app/server /app/server
CMD ["/app/server"]
