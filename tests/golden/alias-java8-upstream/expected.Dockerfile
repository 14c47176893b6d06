FROM eclipse-temurin:8-jdk AS build
WORKDIR /app
COPY . .
RUN ./mvnw -B package -DskipTests

FROM eclipse-temurin:8-jre
WORKDIR /app
COPY --from=build /app/target/app.jar /app/target/app.jar
EXPOSE 8080
CMD ["java", "-jar", "target/app.jar"]
