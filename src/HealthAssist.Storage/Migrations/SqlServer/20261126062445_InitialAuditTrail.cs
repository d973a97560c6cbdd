using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthAssist.Storage.Migrations.SqlServer
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    chain_head = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false),
                    merkle_root = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false),
                    merkle_frontier = table.Column<byte[]>(type: "varbinary(2048)", maxLength: 2048, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    key_id = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    algorithm = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    signature = table.Column<byte[]>(type: "varbinary(132)", maxLength: 132, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_checkpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "audit_entries",
                columns: table => new
                {
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    event_type = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    outcome = table.Column<string>(type: "nvarchar(2)", maxLength: 2, nullable: false),
                    actor_subject = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    actor_type = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    actor_roles = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    purpose_of_use = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    patient_pseudonym = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    payload = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    previous_hash = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false),
                    entry_hash = table.Column<byte[]>(type: "varbinary(32)", maxLength: 32, nullable: false)
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
