# Multi-stage build of the co-hosted silo + API; runs as the image's non-root "app" user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Scheduler.Silo -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data && chown app:app /data
# The embedded SQLite file lives here: a volume, so the data outlives the container (docker run -v scheduler-data:/data).
VOLUME /data
USER app
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ConnectionStrings__Scheduler="Data Source=/data/scheduler.db"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["dotnet", "Scheduler.Silo.dll", "probe", "http://127.0.0.1:8080/health/ready"]
ENTRYPOINT ["dotnet", "Scheduler.Silo.dll"]
