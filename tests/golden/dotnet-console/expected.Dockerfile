FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine AS build
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o /out

FROM mcr.microsoft.com/dotnet/runtime:8.0-alpine
WORKDIR /src
COPY --from=build /out /out
ENTRYPOINT ["dotnet", "/out/Tool.dll"]
