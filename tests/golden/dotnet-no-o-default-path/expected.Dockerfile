FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release
WORKDIR /src/bin/Release/net8.0/publish

FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /src/bin/Release/net8.0/publish
COPY --from=build /src/bin/Release/net8.0/publish /src/bin/Release/net8.0/publish
ENTRYPOINT ["dotnet", "App.dll"]
