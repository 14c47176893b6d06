FROM eclipse-temurin:17-jdk AS build
WORKDIR /app
COPY . .
RUN ./gradlew installDist

FROM gcr.io/distroless/java17-debian13:nonroot
WORKDIR /app
COPY --from=build /app/build/install/shop /app/build/install/shop
ENTRYPOINT ["/app/build/install/shop/bin/shop"]
