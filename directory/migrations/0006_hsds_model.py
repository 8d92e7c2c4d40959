"""The flat Provider rows become HSDS's core: organisations (shared by normalised name),
locations (shared by normalised address, point and accessibility), one service and one
service at a location per row; revisions are kept, so the index needs no rebuild."""

import directory.service_models
import django.db.models.deletion
from django.db import migrations, models

from directory.hsds_ids import location_id, organization_id, service_id, taxonomy_term_id
from directory.hsds_schedules import byday, days_of
from directory.placement import has_place, location_key, organization_key

BATCH = 1000
PLACE = ("street", "postal_code", "city", "district", "lat", "lon", "wheelchair")


def move_providers(apps, schema_editor):
    Provider = apps.get_model("api", "Provider")
    get = lambda name: apps.get_model("api", name)  # noqa: E731
    Organization, Location, Service = get("Organization"), get("Location"), get("Service")
    At, Phone, Schedule = get("ServiceAtLocation"), get("Phone"), get("Schedule")
    Language, Attribute, CostOption, Term = (
        get("Language"), get("Attribute"), get("CostOption"), get("TaxonomyTerm")
    )
    orgs, places, terms = {}, {}, {}
    rows = list(Provider.objects.order_by("id"))
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        new_orgs, new_places, new_terms = [], [], []
        services, at, phones, schedules, languages, attributes, costs = ([] for _ in range(7))
        for p in batch:
            key = organization_key(p.organization)
            org = orgs.get(key) if key else None
            if org is None:
                org = organization_id(p.organization, p.id)
                new_orgs.append(Organization(id=org, name=p.organization, match_key=key))
                if key:
                    orgs[key] = org
            values = {name: getattr(p, name) for name in PLACE}
            place = None
            if has_place(p.street, p.postal_code, p.city, p.district, p.lat, p.wheelchair):
                pkey = location_key(*values.values())
                place = places.get(pkey)
                if place is None:
                    place = places[pkey] = location_id(p.id)
                    new_places.append(Location(id=place, match_key=pkey, **values))
            sid = service_id(p.id)
            services.append(Service(
                id=sid, organization_id=org, name=p.name, description=p.description,
                email=p.email, url=p.website, assured_date=p.updated_at, cost=p.cost,
                appointment_required=p.appointment_required,
                online_counselling=p.online_counselling, target_groups=p.target_groups,
            ))
            at.append(At(id=p.id, service_id=sid, location_id=place, revision=p.revision,
                         duplicate_of=p.duplicate_of))
            if p.phone is not None or p.phone_display is not None:
                phones.append(Phone(service_id=sid, number=p.phone, display=p.phone_display or ""))
            for n, slot in enumerate(p.opening_hours):
                schedules.append(Schedule(
                    service_id=sid, position=n, freq="WEEKLY", byday=byday(slot["days"]),
                    opens_at=slot["opens"], closes_at=slot["closes"],
                    description=p.opening_hours_text,
                ))
            if p.opening_hours_text and not p.opening_hours:
                schedules.append(Schedule(service_id=sid, freq="", description=p.opening_hours_text))
            languages += [Language(service_id=sid, position=n, code=c)
                          for n, c in enumerate(p.languages)]
            for n, code in enumerate(p.categories):
                if code not in terms:
                    terms[code] = taxonomy_term_id(code)
                    new_terms.append(Term(id=terms[code], code=code))
                attributes.append(Attribute(service_id=sid, term_id=terms[code], position=n))
            if p.cost == "kostenlos":
                costs.append(CostOption(service_id=sid, option="kostenlos", amount=0.0,
                                        currency="EUR"))
        for model, objects in ((Organization, new_orgs), (Location, new_places),
                               (Term, new_terms), (Service, services), (At, at),
                               (Phone, phones), (Schedule, schedules), (Language, languages),
                               (Attribute, attributes), (CostOption, costs)):
            model.objects.bulk_create(objects, batch_size=500)
        # bulk_create sets auto_now fields itself; the records' own modification times stay
        for p in batch:
            At.objects.filter(id=p.id).update(modified=p.modified)


def move_back(apps, schema_editor):
    Provider, At = apps.get_model("api", "Provider"), apps.get_model("api", "ServiceAtLocation")
    for sal in At.objects.select_related("service__organization", "location").order_by("id"):
        s, place = sal.service, sal.location
        phone = s.phones.order_by("position", "id").first()
        hours = list(s.schedules.order_by("position", "id"))
        Provider.objects.create(
            id=sal.id, name=s.name, organization=s.organization.name,
            description=s.description,
            categories=list(s.attributes.order_by("position").values_list("term__code", flat=True)),
            target_groups=s.target_groups,
            languages=list(s.languages.order_by("position").values_list("code", flat=True)),
            **{name: getattr(place, name) for name in PLACE} if place else {},
            phone=phone.number if phone else None, phone_display=phone.display if phone else None,
            email=s.email, website=s.url,
            opening_hours=[{"days": days_of(h.byday), "opens": h.opens_at, "closes": h.closes_at}
                           for h in hours if h.byday],
            opening_hours_text="; ".join(dict.fromkeys(h.description for h in hours if h.description)),
            cost=s.cost, appointment_required=s.appointment_required,
            online_counselling=s.online_counselling, updated_at=s.assured_date,
            duplicate_of=sal.duplicate_of, revision=sal.revision,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0005_entry_reports'),
    ]

    operations = [
        migrations.CreateModel(
            name='Attribute',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['service', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CostOption',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('option', models.CharField(blank=True, default='', max_length=200)),
                ('amount', models.FloatField(blank=True, null=True)),
                ('currency', models.CharField(blank=True, default='EUR', max_length=3)),
            ],
            options={
                'ordering': ['service', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Language',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('code', models.CharField(help_text='ISO 639-1 (or 639-3) code', max_length=3)),
            ],
            options={
                'ordering': ['service', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Location',
            fields=[
                ('id', models.CharField(default=directory.service_models.new_id, help_text='UUID', max_length=36, primary_key=True, serialize=False)),
                ('name', models.CharField(blank=True, default='', max_length=300)),
                ('street', models.CharField(blank=True, default='', max_length=200)),
                ('postal_code', models.CharField(blank=True, default='', max_length=10)),
                ('city', models.CharField(blank=True, default='', max_length=100)),
                ('district', models.CharField(blank=True, default='', help_text='HSDS region', max_length=100)),
                ('lat', models.FloatField(blank=True, null=True)),
                ('lon', models.FloatField(blank=True, null=True)),
                ('wheelchair', models.BooleanField(default=False, help_text='Accessible by wheelchair (HSDS accessibility)')),
                ('match_key', models.CharField(db_index=True, default='', editable=False, max_length=64)),
                ('modified', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['street', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Organization',
            fields=[
                ('id', models.CharField(default=directory.service_models.new_id, help_text='UUID', max_length=36, primary_key=True, serialize=False)),
                ('name', models.CharField(blank=True, default='', max_length=300)),
                ('description', models.TextField(blank=True, default='')),
                ('email', models.EmailField(blank=True, default='', max_length=254)),
                ('website', models.URLField(blank=True, default='', max_length=500)),
                ('match_key', models.CharField(blank=True, db_index=True, default='', editable=False, help_text='Normalised name: legacy records with the same one share the organisation', max_length=300)),
                ('modified', models.DateTimeField(auto_now=True)),
            ],
            options={
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Phone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('number', models.CharField(blank=True, help_text='E.164; empty if it could not be read', max_length=32, null=True)),
                ('display', models.CharField(blank=True, default='', help_text='As shown', max_length=40)),
            ],
            options={
                'ordering': ['service', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Schedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('freq', models.CharField(blank=True, default='WEEKLY', max_length=10)),
                ('byday', models.CharField(blank=True, default='', help_text='iCal days, e.g. MO,TU', max_length=27)),
                ('opens_at', models.CharField(blank=True, default='', help_text='HH:MM', max_length=5)),
                ('closes_at', models.CharField(blank=True, default='', help_text='HH:MM; before opens_at: past midnight', max_length=5)),
                ('valid_from', models.DateField(blank=True, null=True)),
                ('valid_to', models.DateField(blank=True, null=True)),
                ('description', models.CharField(blank=True, default='', max_length=500)),
            ],
            options={
                'ordering': ['service', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Service',
            fields=[
                ('id', models.CharField(default=directory.service_models.new_id, help_text='UUID', max_length=36, primary_key=True, serialize=False)),
                ('name', models.CharField(max_length=300)),
                ('description', models.TextField(blank=True, default='')),
                ('email', models.EmailField(blank=True, max_length=254, null=True)),
                ('url', models.URLField(blank=True, max_length=500, null=True)),
                ('status', models.CharField(choices=[('active', 'active'), ('inactive', 'inactive'), ('defunct', 'defunct'), ('temporarily closed', 'temporarily closed')], default='active', help_text='Only an active service is searchable', max_length=20)),
                ('assurer_email', models.EmailField(blank=True, default='', help_text="Who confirms the entry (the owner's contact)", max_length=254)),
                ('assured_date', models.DateField(blank=True, help_text='Date the provider last confirmed the entry', null=True)),
                ('cost', models.CharField(blank=True, choices=[('kostenlos', 'kostenlos'), ('teilweise kostenpflichtig', 'teilweise kostenpflichtig'), ('kostenpflichtig', 'kostenpflichtig')], help_text='HSDS fees_description; exact amounts are cost options', max_length=32, null=True)),
                ('appointment_required', models.BooleanField(default=False)),
                ('online_counselling', models.BooleanField(default=False)),
                ('target_groups', models.JSONField(blank=True, default=list, help_text='HSDS eligibility_description, as a list')),
                ('modified', models.DateTimeField(auto_now=True)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='services', to='api.organization')),
            ],
            options={
                'ordering': ['name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ServiceAtLocation',
            fields=[
                ('id', models.CharField(help_text='Record id, e.g. sa-00042', max_length=32, primary_key=True, serialize=False)),
                ('duplicate_of', models.CharField(blank=True, help_text='Near-duplicate of this record, if detected', max_length=32, null=True)),
                ('revision', models.BigIntegerField(db_index=True, default=0, editable=False)),
                ('modified', models.DateTimeField(auto_now=True)),
                ('location', models.ForeignKey(blank=True, help_text='Empty: offered without a place (by phone, online)', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='at_locations', to='api.location')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='at_locations', to='api.service')),
            ],
            options={
                'verbose_name': 'service at location',
                'verbose_name_plural': 'services at locations',
                'ordering': ['id'],
            },
        ),
        migrations.CreateModel(
            name='TaxonomyTerm',
            fields=[
                ('id', models.CharField(help_text='UUID', max_length=36, primary_key=True, serialize=False)),
                ('code', models.CharField(max_length=200, unique=True)),
            ],
            options={
                'ordering': ['code'],
            },
        ),
        migrations.AddField(
            model_name='schedule',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='schedules', to='api.service'),
        ),
        migrations.AddField(
            model_name='phone',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='phones', to='api.service'),
        ),
        migrations.AddField(
            model_name='language',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='languages', to='api.service'),
        ),
        migrations.AddField(
            model_name='costoption',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='cost_options', to='api.service'),
        ),
        migrations.AddField(
            model_name='attribute',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attributes', to='api.service'),
        ),
        migrations.AddField(
            model_name='attribute',
            name='term',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attributes', to='api.taxonomyterm'),
        ),
        migrations.AddConstraint(
            model_name='attribute',
            constraint=models.UniqueConstraint(fields=('service', 'term'), name='one_attribute_per_term'),
        ),
        migrations.RunPython(move_providers, move_back),
        migrations.DeleteModel(
            name='Provider',
        ),
    ]
