FROM cgr.dev/chainguard/dotnet-sdk:latest-dev AS build
USER root
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /app
WORKDIR /app

FROM cgr.dev/chainguard/aspnet-runtime:latest
WORKDIR /app
COPY --from=build /app /app
ENTRYPOINT ["dotnet", "App.dll"]
