using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthAssist.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialAuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_checkpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    chain_head = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    merkle_root = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    merkle_frontier = table.Column<byte[]>(type: "BLOB", maxLength: 2048, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    key_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    algorithm = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    signature = table.Column<byte[]>(type: "BLOB", maxLength: 132, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    occurred_at = table.Column<long>(type: "INTEGER", nullable: false),
                    event_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    actor_subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    actor_type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    actor_roles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    purpose_of_use = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    patient_pseudonym = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    entry_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_entries", x => x.sequence);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_checkpoints_sequence",
                table: "audit_checkpoints",
                column: "sequence");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_id",
                table: "audit_entries",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_occurred_at",
                table: "audit_entries",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_patient_pseudonym",
                table: "audit_entries",
                column: "patient_pseudonym");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_checkpoints");

            migrationBuilder.DropTable(
                name: "audit_entries");
        }
    }
}
