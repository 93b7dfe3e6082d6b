import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, ME, type MeData, clearToken, getToken, gql, setToken, whenUnauthenticated } from "./api";
import type { Me } from "./gql/schema";
import { AdminPage } from "./pages/admin";
import { CasePage, CasesPage } from "./pages/cases";
import { EvidencePage } from "./pages/evidence";
import { FacilityPage } from "./pages/facility";
import { IncidentPage } from "./pages/incident";
import { MentionsPage } from "./pages/mentions";
import { PersonPage } from "./pages/person";
import { SearchPage } from "./pages/search";
import { UnitPage } from "./pages/unit";
import { WritePage } from "./pages/write";
import { BASE, interceptLinks, navigate, useLocation } from "./router";
import { Name } from "./ui";
import "./styles.css";

function SignIn({ onSignedIn, error }: { onSignedIn: (token: string) => void; error: string | null }) {
  const [token, setValue] = useState("");
  return (
    <main class="signin">
      <h1>Case workbench</h1>
      <p>Sign in with the API token (or JWT) you were given. It is kept in this tab only.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) onSignedIn(token.trim());
        }}
      >
        <label for="token">Token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Sign in</button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function Header({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const loc = useLocation();
  const [q, setQ] = useState(loc.path[0] === "search" ? (loc.query.get("q") ?? "") : "");
  return (
    <header class="top">
      <a href={BASE} class="brand">
        Case workbench
      </a>
      <form
        role="search"
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`search?q=${encodeURIComponent(q)}`);
        }}
      >
        <label for="q" class="visually-hidden">
          Search
        </label>
        <input
          id="q"
          type="search"
          dir="auto"
          placeholder="Search names, titles — any script"
          value={q}
          onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        />
        <button type="submit">Search</button>
      </form>
      <nav>
        <a href={`${BASE}cases`}>Case files</a>
        {me.canWrite && <a href={`${BASE}new`}>New entry</a>}
        {me.cleared && <a href={`${BASE}mentions`}>Mentions to review</a>}
        {me.isAdmin && <a href={`${BASE}admin`}>Admin</a>}
      </nav>
      <span class="who" data-role={me.role}>
        <Name text={me.name} /> · {me.role.toLowerCase()}
      </span>
      <button type="button" class="signout" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

function Home({ me }: { me: Me }) {
  return (
    <main>
      <h1>Case workbench</h1>
      <p>
        Signed in as <Name text={me.name} /> ({me.role.toLowerCase()}
        {me.cleared ? ", cleared to see protected identities" : ", protected identities shown by pseudonym"}).
      </p>
      <ul>
        <li>Search for a person, unit, facility, incident, evidence item or case file with the box above.</li>
        <li>On an incident, the trace shows everyone linked to it, how, and on what evidence.</li>
        <li>
          <a href={`${BASE}cases`}>Case files</a>: build a file from traces and export a signed bundle.
        </li>
      </ul>
    </main>
  );
}

function Routes({ me }: { me: Me }) {
  const loc = useLocation();
  const [head, id] = loc.path;
  useEffect(() => {
    document.title = head ? `${head}${id ? ` ${id}` : ""} · Case workbench` : "Case workbench";
  }, [head, id]);
  switch (head) {
    case undefined:
      return <Home me={me} />;
    case "search":
      return <SearchPage q={loc.query.get("q") ?? ""} />;
    case "person":
      return <PersonPage id={id ?? ""} me={me} />;
    case "incident":
      return <IncidentPage id={id ?? ""} me={me} />;
    case "unit":
      return <UnitPage id={id ?? ""} at={loc.query.get("at")} me={me} />;
    case "facility":
      return <FacilityPage id={id ?? ""} at={loc.query.get("at")} me={me} />;
    case "evidence":
      return <EvidencePage id={id ?? ""} me={me} />;
    case "cases":
      return <CasesPage me={me} />;
    case "case":
      return <CasePage id={id ?? ""} me={me} />;
    case "new":
      return <WritePage me={me} />;
    case "admin":
      return <AdminPage me={me} />;
    case "mentions":
      return <MentionsPage me={me} />;
    default:
      return (
        <main>
          <h1>Not found</h1>
          <p>
            No page at this address. <a href={BASE}>Start again</a>.
          </p>
        </main>
      );
  }
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(getToken() !== null);

  const signOut = () => {
    clearToken();
    setMe(null);
  };
  useEffect(() => {
    whenUnauthenticated(() => {
      clearToken();
      setMe(null);
      setError("The token is not valid, or was revoked: sign in again.");
    });
    if (getToken()) void who();
  }, []);

  async function who() {
    setChecking(true);
    try {
      const data = await gql<MeData>(ME);
      setMe(data.me);
      setError(null);
    } catch (e) {
      clearToken();
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setChecking(false);
    }
  }

  if (checking && !me) return <p aria-busy="true">Signing in…</p>;
  if (!me)
    return (
      <SignIn
        error={error}
        onSignedIn={(token) => {
          setToken(token);
          void who();
        }}
      />
    );
  return (
    <>
      <Header me={me} onSignOut={signOut} />
      <Routes me={me} />
    </>
  );
}

const root = document.getElementById("app")!;
interceptLinks(root);
render(<App />, root);
