FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /app/target/app-1.0.jar /app/target/app-1.0.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "target/app-1.0.jar"]
