FROM eclipse-temurin:17-jdk AS build
WORKDIR /app
COPY . .
RUN ./gradlew installDist

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /app/build/install/shop /app/build/install/shop
ENTRYPOINT ["/app/build/install/shop/bin/shop"]
