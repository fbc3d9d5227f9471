using System.Globalization;

namespace Scheduler.Grains.Notifications;

public enum SmtpSecurity
{
    None,
    StartTls,
    SslOnConnect,
}

/// <summary>The <c>Email</c> settings: off by default, so the service runs without an SMTP server.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>False: notifications are still recorded, as <c>skipped</c>, and nothing is sent.</summary>
    public bool Enabled { get; set; }

    /// <summary>The sender, also the invitations' ORGANIZER.</summary>
    public string From { get; set; } = "scheduler@localhost";

    public string FromName { get; set; } = "Scheduler";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Minutes before the start at which reminders go out, comma-separated.</summary>
    public string ReminderMinutes { get; set; } = "1440,60";

    /// <summary>Attempts before a message is given up on (<c>dead</c>).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>SMTP connections (and so messages) in flight at once.</summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>How often the worker looks for new domain events and due messages.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>A folder whose <c>*.liquid</c> files replace the built-in templates of the same name.</summary>
    public string? TemplateDirectory { get; set; }

    public IReadOnlyList<int> ReminderOffsets() =>
    [
        .. ReminderMinutes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture))
            .Where(minutes => minutes > 0)
            .Distinct()
            .OrderDescending(),
    ];
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 25;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.None;

    public string? Username { get; set; }

    public string? Password { get; set; }
}
