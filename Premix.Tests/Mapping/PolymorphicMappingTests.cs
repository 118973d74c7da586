using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Mapping;

/// <summary>A polymorphic navigation (BelongsToOneOf) that cannot work fails at startup, every problem in the one MappingException.</summary>
public sealed class PolymorphicMappingTests
{
    [Test]
    public void Every_problem_of_a_polymorphic_navigation_is_reported_at_once()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new PageMap()).Add(new PhotoMap()).Add(new BadNoteMap()).Build());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("Note.Subject: relates to Video, which is not mapped."));
            Assert.That(error.Message, Does.Contain("Note.Subject: uses Note.PageId (Int64) as the foreign key to Page, but it is required").And.Contain("Make Note.PageId nullable (Int64?)"));
            Assert.That(error.Message, Does.Contain("has foreign key Note.PhotoId of type String, but the key Photo.Id is Int64"));
            Assert.That(error.Message, Does.Contain("Note.Other: is declared with BelongsToOneOf and 1 target, but a polymorphic navigation needs two or more"));
            Assert.That(error.Message, Does.Contain("Note.Again: names Photo as a target 2 times"));
            Assert.That(error.Problems, Has.Count.EqualTo(5), error.Message);
        }
    }

    [Test]
    public void Each_target_is_a_belongs_to_relation_with_its_own_foreign_key_and_the_same_navigation()
    {
        var model = new ModelBuilder().Add(new ArticleMap()).Add(new PhotoMap()).Add(new RemarkMap()).Build();

        var relations = model.Get(typeof(Remark)).Relations;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(relations.Select(r => (r.Kind, r.Target.Name, r.ForeignKey.Name, r.Navigation!.Name, r.IsPolymorphic)), Is.EqualTo(new[]
            {
                (RelationKind.BelongsTo, "Article", "ArticleId", "Subject", true),
                (RelationKind.BelongsTo, "Photo", "PhotoId", "Subject", true),
            }));
            Assert.That(model.ForeignKeys.Where(k => k.Dependent == typeof(Remark)).Select(k => (k.Principal.Name, k.OnDelete)), Is.EquivalentTo(new[] { ("Article", ReferentialAction.NoAction), ("Photo", ReferentialAction.Cascade) }));
            Assert.That(model.Get(typeof(Remark)).FindProperty("Subject"), Is.Null, "the navigation is not a column");
        }
    }

    [Test]
    public void Every_problem_of_a_type_and_id_pair_is_reported_at_once()
    {
        var error = Assert.Throws<MappingException>(() => new ModelBuilder().Add(new PageMap()).Add(new PhotoMap()).Add(new BadLegacyNoteMap()).Add(new PageWithNotesMap()).Build());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Message, Does.Contain("LegacyNote.Subject: relates to Video, which is not mapped."));
            Assert.That(error.Message, Does.Contain("LegacyNote.Subject: gives the type name 'page' to Page and Photo"));
            Assert.That(error.Message, Does.Contain("LegacyNote.Other: mixes Via<TTarget>(...) with ByTypeAndId(...)"));
            Assert.That(error.Message, Does.Contain("LegacyNote.Third: uses LegacyNote.UnmappedType as its type column, but that property is not mapped"));
            Assert.That(error.Message, Does.Contain("has foreign key LegacyNote.TextId of type String, but the key Photo.Id is Int64"));
            Assert.That(error.Message, Does.Contain("PageWithNotes.Notes: is declared over LegacyNote.SubjectId, the id column of a type+id pair (ByTypeAndId)"));
            Assert.That(error.Problems, Has.Count.EqualTo(7), error.Message);
        }
    }

    [Test]
    public void Each_target_of_a_type_and_id_pair_is_a_key_over_the_same_id_not_enforced_by_the_database()
    {
        var model = new ModelBuilder().Add(new CommentedArticleMap()).Add(new PhotoMap()).Add(new CommentMap()).Build();

        var keys = model.ForeignKeys.Where(k => k.Dependent == typeof(Comment)).ToList();
        Assert.That(keys.Select(k => (k.Principal.Name, k.Property.Name, k.TypeProperty?.Name, k.TypeName, k.IsEnforcedByDatabase)), Is.EquivalentTo(new[]
        {
            ("Article", "SubjectId", (string?)"SubjectType", (string?)"Article", false),
            ("Photo", "SubjectId", "SubjectType", "Photo", false),
        }));
    }

    private sealed class Page : IRemarkable
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";
    }

    private sealed class PageMap : ModelConfiguration<Page>
    {
        public override void Configure(EntityBuilder<Page> e) => e.ToTable("pages");
    }

    private sealed class Video : IRemarkable
    {
        public long Id { get; set; }

        public string Title { get; set; } = "";
    }

    private sealed class Note
    {
        public long Id { get; set; }

        public long PageId { get; set; }

        public string? PhotoId { get; set; }

        public long? VideoId { get; set; }

        public long? OtherPhotoId { get; set; }

        public long? AgainA { get; set; }

        public long? AgainB { get; set; }

        public IRemarkable? Subject { get; set; }

        public object? Other { get; set; }

        public object? Again { get; set; }
    }

    private sealed class LegacyNote
    {
        public long Id { get; set; }

        public string? SubjectType { get; set; }

        public long? SubjectId { get; set; }

        public string? TextId { get; set; }

        public long? PhotoId { get; set; }

        public string? UnmappedType { get; set; }

        public IRemarkable? Subject { get; set; }

        public object? Other { get; set; }

        public object? Third { get; set; }
    }

    private sealed class BadLegacyNoteMap : ModelConfiguration<LegacyNote>
    {
        public override void Configure(EntityBuilder<LegacyNote> e)
        {
            e.Ignore(n => n.UnmappedType);
            e.BelongsToOneOf(n => n.Subject).ByTypeAndId(n => n.SubjectType, n => n.SubjectId).As<Page>("page").As<Photo>("Page").As<Video>("Video");
            e.BelongsToOneOf(n => n.Other).Via<Photo>(n => n.PhotoId).ByTypeAndId(n => n.SubjectType, n => n.SubjectId).As<Page>("OtherPage");
            e.BelongsToOneOf(n => n.Third).ByTypeAndId(n => n.UnmappedType, n => n.TextId).As<Page>("Page").As<Photo>("Photo");
        }
    }

    private sealed class PageWithNotes
    {
        public long Id { get; set; }

        public List<LegacyNote> Notes { get; set; } = [];
    }

    private sealed class PageWithNotesMap : ModelConfiguration<PageWithNotes>
    {
        public override void Configure(EntityBuilder<PageWithNotes> e) => e.HasMany(p => p.Notes).WithForeignKey(n => n.SubjectId);
    }

    private sealed class BadNoteMap : ModelConfiguration<Note>
    {
        public override void Configure(EntityBuilder<Note> e)
        {
            e.BelongsToOneOf(n => n.Subject).Via<Page>(n => n.PageId).Via<Photo>(n => n.PhotoId).Via<Video>(n => n.VideoId);
            e.BelongsToOneOf(n => n.Other).Via<Photo>(n => n.OtherPhotoId);
            e.BelongsToOneOf(n => n.Again).Via<Photo>(n => n.AgainA).Via<Photo>(n => n.AgainB);
        }
    }
}
