"""The DNS group's fidelity fixes (`emulator/fidelity_apps/dns.py`), through Route 53's API."""

import unittest
import uuid

from botocore.exceptions import ClientError

from .support import Emulator


class DnsFidelityTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_server()
        cls.r53 = cls.emulator.client("route53")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def zone(self, name: str, reference: str) -> str:
        made = self.r53.create_hosted_zone(Name=name, CallerReference=reference)
        return made["HostedZone"]["Id"].split("/")[-1]

    def change(self, zone: str, action: str, name: str, values: list[str]) -> None:
        self.r53.change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={
                "Changes": [
                    {
                        "Action": action,
                        "ResourceRecordSet": {
                            "Name": name,
                            "Type": "TXT",
                            "TTL": 60,
                            "ResourceRecords": [{"Value": v} for v in values],
                        },
                    }
                ]
            },
        )

    def test_a_caller_reference_makes_one_zone(self) -> None:  # fix 1
        reference = f"ref-{uuid.uuid4().hex}"
        self.zone("once.example.com", reference)
        with self.assertRaises(ClientError) as raised:
            self.zone("once.example.com", reference)
        self.assertEqual(raised.exception.response["Error"]["Code"], "HostedZoneAlreadyExists")
        zones = self.r53.list_hosted_zones_by_name(DNSName="once.example.com")["HostedZones"]
        self.assertEqual(len([z for z in zones if z["Name"] == "once.example.com."]), 1)

    def test_names_are_stored_in_lower_case(self) -> None:  # fix 2
        zone = self.zone("Upper.Example.COM", f"ref-{uuid.uuid4().hex}")
        got = self.r53.get_hosted_zone(Id=zone)["HostedZone"]
        self.assertEqual(got["Name"], "upper.example.com.")
        self.change(zone, "CREATE", "WWW.Upper.Example.com", ['"a"'])
        names = [
            r["Name"]
            for r in self.r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
        ]
        self.assertIn("www.upper.example.com.", names)
        found = self.r53.list_hosted_zones_by_name(DNSName="UPPER.example.com")["HostedZones"]
        self.assertEqual([z["Id"].split("/")[-1] for z in found][:1], [zone])

    def test_create_of_an_existing_record_set_and_delete_of_a_missing_one_fail(self) -> None:
        zone = self.zone("batch.example.com", f"ref-{uuid.uuid4().hex}")  # fix 3
        self.change(zone, "CREATE", "txt.batch.example.com", ['"a"'])
        with self.assertRaises(ClientError) as raised:
            self.change(zone, "CREATE", "txt.batch.example.com.", ['"b"'])
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], "InvalidChangeBatch")
        self.assertIn("but it already exists", error["Message"])
        with self.assertRaises(ClientError) as raised:
            self.change(zone, "DELETE", "other.batch.example.com", ['"a"'])
        self.assertIn("but it was not found", raised.exception.response["Error"]["Message"])
        sets = self.r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
        self.assertEqual(len([s for s in sets if s["Type"] == "TXT"]), 1)
        self.change(zone, "DELETE", "txt.batch.example.com", ['"a"'])
        self.change(zone, "CREATE", "txt.batch.example.com", ['"c"'])

    def test_a_delete_removes_only_its_record_set(self) -> None:  # fix 3
        zone = self.zone("weighted.example.com", f"ref-{uuid.uuid4().hex}")

        def weighted(action: str, name: str) -> dict:
            return {
                "Action": action,
                "ResourceRecordSet": {
                    "Name": name,
                    "Type": "CNAME",
                    "TTL": 60,
                    "SetIdentifier": "blue",
                    "Weight": 10,
                    "ResourceRecords": [{"Value": "blue.example.com"}],
                },
            }

        for name in ("a.weighted.example.com", "b.weighted.example.com"):
            self.r53.change_resource_record_sets(
                HostedZoneId=zone, ChangeBatch={"Changes": [weighted("CREATE", name)]}
            )
        self.r53.change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={"Changes": [weighted("DELETE", "a.weighted.example.com")]},
        )
        sets = self.r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
        names = [s["Name"] for s in sets if s["Type"] == "CNAME"]
        self.assertEqual(names, ["b.weighted.example.com."])

    def test_accelerated_recovery_is_turned_on_and_off(self) -> None:  # fix 4
        zone = self.zone("fast.example.com", f"ref-{uuid.uuid4().hex}")
        self.r53.update_hosted_zone_features(HostedZoneId=zone, EnableAcceleratedRecovery=True)
        features = self.r53.get_hosted_zone(Id=zone)["HostedZone"]["Features"]
        self.assertEqual(features["AcceleratedRecoveryStatus"], "ENABLED")
        self.r53.update_hosted_zone_features(HostedZoneId=zone, EnableAcceleratedRecovery=False)
        features = self.r53.get_hosted_zone(Id=zone)["HostedZone"]["Features"]
        self.assertEqual(features["AcceleratedRecoveryStatus"], "DISABLED")


if __name__ == "__main__":
    unittest.main()
