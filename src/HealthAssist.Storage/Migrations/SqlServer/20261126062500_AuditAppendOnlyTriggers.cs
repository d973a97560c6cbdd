using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthAssist.Storage.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class AuditAppendOnlyTriggers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Defence in depth: the database itself refuses to change or remove audit rows. CREATE TRIGGER must open its
            // batch, so it runs through EXEC: the idempotent script wraps every statement in IF ... BEGIN ... END.
            foreach (var table in new[] { "audit_entries", "audit_checkpoints" })
            {
                migrationBuilder.Sql($"EXEC(N'CREATE TRIGGER {table}_append_only ON {table} INSTEAD OF UPDATE, DELETE AS BEGIN THROW 51001, N''{table} is append-only'', 1; END')");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "audit_entries", "audit_checkpoints" })
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_append_only;");
            }
        }
    }
}
