// The live-update hub as a SPA connects to it, with the npm @microsoft/signalr client.
// Usage: node listen.mjs <base url> <access token> [since]
// Connects to <base url>/hubs/scheduler over WebSockets, subscribes from <since> (or from now), prints "ready", then
// one JSON line per `changed` message; after a reconnect it subscribes again from the last position it heard.
// Prints "refused <reason>" and exits with 3 when the hub refuses it; stops when stdin closes.
import * as signalR from "@microsoft/signalr";

const [base, token, since] = process.argv.slice(2);
let last = since === undefined ? null : Number(since);

const connection = new signalR.HubConnectionBuilder()
  .withUrl(`${base}/hubs/scheduler`, {
    accessTokenFactory: () => token,
    transport: signalR.HttpTransportType.WebSockets,
    skipNegotiation: true,
  })
  .withAutomaticReconnect()
  .configureLogging(signalR.LogLevel.None)
  .build();

connection.on("changed", (message) => {
  last = message.position;
  console.log(JSON.stringify(message));
});
connection.onreconnected(() => connection.invoke("Subscribe", last));

try {
  await connection.start();
  await connection.invoke("Subscribe", last);
  console.log("ready");
} catch (error) {
  console.log(`refused ${error.message}`);
  process.exit(3);
}

process.stdin.on("end", async () => {
  await connection.stop();
  process.exit(0);
});
process.stdin.resume();
