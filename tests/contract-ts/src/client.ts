// A small SPA-style client of the Scheduler API, typed from the OpenAPI document only (generated/schema.ts).
// It must compile under `tsc --strict` with no non-null assertions and no casts: the document says what is
// required, what may be null, which errors come back and which headers go out.
import createClient from "openapi-fetch";
import type { components, paths } from "../generated/schema";

type Problem = components["schemas"]["Problem"];
type Interview = components["schemas"]["EventResponse"];

/** What a person sees for an error: the machine-readable code decides, the message explains. */
export function describe(problem: Problem): string {
  switch (problem.code) {
    case "slot_conflict":
      return `That slot is taken (by ${problem.conflictingEventId ?? "another interview"}).`;
    case "has_upcoming_events":
      return `Cancel ${(problem.upcomingEventIds ?? []).length} upcoming interviews first.`;
    default:
      return `${problem.statusCode} ${problem.error}: ${problem.message} (trace ${problem.traceId})`;
  }
}

export async function bookAndReschedule(baseUrl: string, email: string, password: string): Promise<Interview | Problem> {
  const anonymous = createClient<paths>({ baseUrl });
  const login = await anonymous.POST("/api/auth/login", { body: { email, password } });
  if (login.error) {
    return login.error;
  }
  const token: string = login.data.accessToken;
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `${login.data.tokenType} ${token}` } });

  const interviewer = await api.POST("/api/interviewers", {
    body: { name: "Grace Hopper", email: "grace@example.com", skills: ["cobol"], timezone: "America/New_York", bufferMinutes: 15 },
  });
  if (interviewer.error) {
    return interviewer.error;
  }
  const hours = interviewer.data.workingHours?.monday ?? [];
  const firstStart: string = hours[0]?.start ?? "09:00";

  const booked = await api.POST("/api/events", {
    params: { header: { "Idempotency-Key": `book-${interviewer.data.id}` } },
    body: {
      interviewerId: interviewer.data.id,
      title: `System design at ${firstStart}`,
      candidateName: "Ada Lovelace",
      candidateEmail: "ada@example.com",
      startsAt: "2030-03-04T15:00:00Z",
      endsAt: "2030-03-04T16:00:00Z",
      location: null,
    },
  });
  if (booked.error) {
    return booked.error;
  }
  const event: Interview = booked.data;
  const etag: string = booked.response.headers.get("ETag") ?? `"${event.version}"`;

  const moved = await api.PUT("/api/events/{id}", {
    params: { path: { id: event.id }, header: { "If-Match": etag } },
    body: {
      interviewerId: event.interviewerId,
      title: event.title,
      candidateName: event.candidateName,
      candidateEmail: event.candidateEmail,
      startsAt: "2030-03-04T17:00:00Z",
      endsAt: "2030-03-04T18:00:00Z",
      notes: event.notes,
    },
  });
  if (moved.error) {
    const code: string = moved.error.code;
    return code === "version_mismatch" ? moved.error : { ...moved.error, message: describe(moved.error) };
  }
  const status: "scheduled" | "cancelled" | "completed" = moved.data.status;
  return status === "scheduled" ? moved.data : event;
}

/** Every audit entry about interviews, page by page, with each changed field's old and new value. */
export async function auditTrail(baseUrl: string, token: string): Promise<string[]> {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
  const lines: string[] = [];
  let offset = 0;
  for (;;) {
    const page = await api.GET("/api/audit-logs", { params: { query: { entityType: "event", action: "rescheduled", limit: 100, offset } } });
    if (page.error) {
      lines.push(describe(page.error));
      return lines;
    }
    for (const entry of page.data.data) {
      for (const [field, change] of Object.entries(entry.changes)) {
        lines.push(`${entry.timestamp} ${entry.actor} ${entry.action} ${field}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`);
      }
    }
    if (!page.data.pagination.hasMore) {
      return lines;
    }
    offset += page.data.pagination.limit;
  }
}
