using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HealthAssist.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class StoredAssessments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "assessment_handles",
                columns: table => new
                {
                    handle = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false),
                    inference_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    part = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_handles", x => x.handle);
                });

            migrationBuilder.CreateTable(
                name: "assessments",
                columns: table => new
                {
                    inference_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    patient_pseudonym = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    actor_subject = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    result_json = table.Column<string>(type: "text", nullable: false),
                    result_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    audit_sequence = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessments", x => x.inference_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_handles_inference_id",
                table: "assessment_handles",
                column: "inference_id");

            migrationBuilder.CreateIndex(
                name: "IX_assessments_created_at",
                table: "assessments",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_assessments_patient_pseudonym",
                table: "assessments",
                column: "patient_pseudonym");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessment_handles");

            migrationBuilder.DropTable(
                name: "assessments");
        }
    }
}
